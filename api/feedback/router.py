"""HTTP routes for feedback: rate something, and record that a survey is offered (at most weekly)."""

from fastapi import APIRouter, Depends, Response, status

from api.deps import BorrowerDep, IdempotencyKey, NowDep, SessionDep, require_service
from api.feedback import service
from api.feedback.schemas import FeedbackCreate, FeedbackPublic, SurveyOffered, SurveyRequest
from api.models import FeedbackSubject

router = APIRouter(prefix="/me", tags=["feedback"], dependencies=[Depends(require_service)])


@router.post(
    "/feedback",
    response_model=FeedbackPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Rate a certificate, an application, a support case or the bot",
    responses={
        200: {"description": "The same key and rating again: the stored one", "model": FeedbackPublic},
        404: {"description": "The rated record is not the caller's"},
        409: {"description": "The key was used for another rating (`idempotency_key_reused`)"},
    },
)
async def rate(
    request: FeedbackCreate,
    borrower: BorrowerDep,
    session: SessionDep,
    now: NowDep,
    response: Response,
    key: IdempotencyKey = None,
) -> FeedbackPublic:
    """A score of 1–2 answers with `offer_person: true`, so the bot offers a person; a repeat with the same
    `Idempotency-Key` returns the rating stored first (200)."""
    feedback, created = await service.rate(
        session,
        borrower=borrower,
        subject=FeedbackSubject(request.subject),
        subject_id=request.subject_id,
        score=request.score,
        comment=request.comment,
        key=key,
        now=now,
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    public = FeedbackPublic.model_validate(feedback)
    return public.model_copy(update={"offer_person": service.offers_person(feedback.score)})


@router.post(
    "/surveys",
    response_model=SurveyOffered,
    status_code=status.HTTP_201_CREATED,
    summary="Record that a survey is offered now (at most one a week)",
    responses={
        409: {
            "description": "A survey was offered in the last 7 days (`survey_too_soon`), or its subject is a decision "
            "made more than 3 days ago (`survey_stale`)"
        },
        404: {"description": "The survey's subject is not the caller's"},
    },
)
async def offer_survey(
    borrower: BorrowerDep, session: SessionDep, now: NowDep, request: SurveyRequest | None = None
) -> SurveyOffered:
    """The bot asks before showing a survey; a refusal means: do not ask this time."""
    request = request or SurveyRequest()
    next_at = await service.offer_survey(
        session, borrower=borrower, now=now, subject=request.subject, subject_id=request.subject_id
    )
    return SurveyOffered(offered_at=now, next_survey_after=next_at)
