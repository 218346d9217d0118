# feature: django-orm-sync
"""Async Django views that use the ORM: sync evaluation on the loop, and the async API."""

from asgiref.sync import sync_to_async
from django.db import models
from django.http import JsonResponse
from django.shortcuts import aget_object_or_404, get_object_or_404


class Article(models.Model):
    title = models.CharField(max_length=200)
    published = models.BooleanField(default=False)
    objects = models.Manager()


async def article_detail(request, pk: int):
    article = get_object_or_404(Article, pk=pk)  # expect: BIO507
    return JsonResponse({"title": article.title})


async def publish(request, article: Article):
    article.published = True
    article.save()  # expect: BIO507
    return JsonResponse({"ok": True})


async def remove(request, article: Article):
    article.delete()  # expect: BIO507
    return JsonResponse({"ok": True})


async def drafts(request):
    return JsonResponse({"count": Article.objects.filter(published=False).count()})  # expect: BIO507


async def first_draft(request):
    return Article.objects.filter(published=False).order_by("title").first()  # expect: BIO507


async def newest(request):
    return Article.objects.get(pk=1)  # expect: BIO507


async def titles(request):
    drafts = Article.objects.filter(published=False)  # ok: building a QuerySet runs no query
    return [a.title for a in drafts]  # expect: BIO507


async def publish_async(request, article: Article):
    article.published = True
    await article.asave()  # ok: Model.asave is a coroutine
    return JsonResponse({"ok": True})


async def article_detail_async(request, pk: int):
    article = await aget_object_or_404(Article, pk=pk)  # ok: the async shortcut
    return JsonResponse({"title": article.title})


async def drafts_async(request):
    return await Article.objects.filter(published=False).acount()  # ok: QuerySet.acount is a coroutine


@sync_to_async
def _publish_all() -> int:
    return Article.objects.filter(published=False).update(published=True)  # ok: runs in sync_to_async's thread


async def publish_all(request):
    return JsonResponse({"updated": await _publish_all()})  # ok: the sync helper is wrapped by sync_to_async
