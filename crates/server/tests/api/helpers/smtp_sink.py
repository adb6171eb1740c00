"""A local SMTP server for the mail tests (aiosmtpd): every message it receives is
written, decoded, to DIR/<n>.txt as its envelope, subject and plain-text body.

    python smtp_sink.py PORT DIR

Prints "ready" once it listens; runs until killed."""

import email
import pathlib
import sys
import threading
from email import policy

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = pathlib.Path(folder)
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        body = msg.get_body(preferencelist=("plain",)).get_content()
        text = (
            f"MAIL FROM: {envelope.mail_from}\nRCPT TO: {', '.join(envelope.rcpt_tos)}\n"
            f"From: {msg['from']}\nSubject: {msg['subject']}\n\n{body}"
        )
        part = self.folder / f"{self.count}.part"
        part.write_text(text, encoding="utf-8")
        part.rename(self.folder / f"{self.count}.txt")
        return "250 OK"


controller = Controller(Sink(sys.argv[2]), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
threading.Event().wait()
