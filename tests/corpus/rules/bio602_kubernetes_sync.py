# feature: kubernetes-sync
"""A job runner that talks to Kubernetes with the sync client."""

from kubernetes import client, config


async def init_cluster() -> None:
    config.load_incluster_config()  # expect: BIO602


async def pods(namespace: str) -> list:
    api = client.CoreV1Api()  # ok: constructing the API object sends nothing
    return api.list_namespaced_pod(namespace).items  # expect: BIO602


async def scale(apps: client.AppsV1Api, name: str, replicas: int) -> None:
    apps.patch_namespaced_deployment_scale(name, "default", {"spec": {"replicas": replicas}})  # expect: BIO602
