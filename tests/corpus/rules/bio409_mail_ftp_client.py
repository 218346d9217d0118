# feature: mail-ftp-client
"""Notification e-mails and an FTP export sent from async jobs."""

import ftplib
import smtplib
from email.message import EmailMessage

SMTP_HOST = "smtp.internal"


async def notify(to: str, body: str) -> None:
    msg = EmailMessage()  # ok: building a message does no IO
    msg["To"] = to
    msg.set_content(body)  # ok: in memory
    with smtplib.SMTP(SMTP_HOST) as smtp:  # expect: BIO409
        smtp.starttls()  # listed: BIO409
        smtp.send_message(msg)  # listed: BIO409


async def export_csv(path: str, data) -> None:
    ftp = ftplib.FTP("ftp.partner.example")  # expect: BIO409
    ftp.login("relay", "secret")  # listed: BIO409
    ftp.storbinary(f"STOR {path}", data)  # listed: BIO409
