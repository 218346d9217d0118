# feature: offload-starlette
"""Starlette / FastAPI thread pools: run_in_threadpool and background tasks."""

import json
import smtplib
from pathlib import Path

from fastapi import BackgroundTasks, FastAPI
from fastapi.concurrency import run_in_threadpool
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool as starlette_threadpool
from starlette.responses import JSONResponse

app = FastAPI()
INVOICES = Path("/srv/invoices")


def render_invoice(invoice_id: str) -> dict:
    return json.loads((INVOICES / f"{invoice_id}.json").read_text())  # ok: only runs in the thread pool


def send_receipt(to: str) -> None:
    with smtplib.SMTP("smtp.internal") as smtp:  # ok: runs as a background task in the thread pool
        smtp.sendmail("billing@relay", [to], "paid")  # ok: runs as a background task in the thread pool


@app.get("/invoices/{invoice_id}")
async def get_invoice(invoice_id: str) -> dict:
    return await run_in_threadpool(render_invoice, invoice_id)  # ok: offloaded by reference


@app.get("/invoices/{invoice_id}/raw")
async def get_invoice_raw(invoice_id: str) -> dict:
    return await starlette_threadpool(render_invoice, invoice_id)  # ok: offloaded by reference


@app.post("/invoices/{invoice_id}/pay")
async def pay(invoice_id: str, to: str, tasks: BackgroundTasks) -> dict:
    tasks.add_task(send_receipt, to)  # ok: sync background tasks run in the thread pool
    return {"paid": invoice_id}


@app.post("/invoices/{invoice_id}/resend")
async def resend(invoice_id: str, to: str) -> JSONResponse:
    return JSONResponse({"queued": invoice_id}, background=BackgroundTask(send_receipt, to))  # ok: runs in the thread pool


@app.get("/invoices/{invoice_id}/inline")
async def get_invoice_inline(invoice_id: str) -> dict:
    return render_invoice(invoice_id)  # expect: BIO102
