"""The console's side of a case for the relay tests: a member of staff without Telegram, acting through the chat
service as the console's pages do."""

import hashlib

from api.console.chat import service
from api.documents.uploads import Upload
from api.models import StaffMember, StaffRole
from tests.api.outbox_helpers import session_of

MARIA = "Мария"


async def console_member(engine, *, name: str = MARIA, role: StaffRole = StaffRole.OPERATOR) -> StaffMember:
    """A member who works only in the console (no Telegram account on file)."""
    async with session_of(engine) as db:
        member = StaffMember(name=name, role=role, token_sha256=hashlib.sha256(name.encode()).hexdigest(), active=True)
        db.add(member)
        await db.commit()
        return member


def upload(content: bytes, file_name: str, content_type: str) -> Upload:
    return Upload(
        file_name=file_name, content_type=content_type, content=content, sha256=hashlib.sha256(content).hexdigest()
    )


async def reply(engine, clock, case_id: int, member: StaffMember, text: str, file: Upload | None = None) -> int:
    async with session_of(engine) as db:
        message = await service.reply(db, case_id=case_id, staff=member, text=text, upload=file, now=clock())
        return message.id


async def note(engine, clock, case_id: int, member: StaffMember, text: str) -> int:
    async with session_of(engine) as db:
        return (await service.note(db, case_id=case_id, staff=member, text=text, now=clock())).id


async def take(engine, clock, case_id: int, member: StaffMember) -> None:
    async with session_of(engine) as db:
        await service.take(db, case_id=case_id, staff=member, now=clock())


async def close(engine, clock, case_id: int, member: StaffMember) -> None:
    async with session_of(engine) as db:
        await service.close(db, case_id=case_id, staff=member, now=clock())
