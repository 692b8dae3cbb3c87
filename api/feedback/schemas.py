"""Requests and answers of the feedback API."""

from datetime import datetime
from typing import Annotated

from pydantic import Field, model_validator

from api.models import FeedbackSubject
from api.schemas import ApiModel, LongText


class FeedbackCreate(ApiModel):
    subject: FeedbackSubject
    subject_id: Annotated[int, Field(gt=0, lt=2**63)] | None = Field(
        default=None, description="The rated certificate request, holiday application or support case (the caller's)."
    )
    score: Annotated[int, Field(ge=1, le=5)]
    comment: LongText | None = None

    @model_validator(mode="after")
    def _check(self) -> "FeedbackCreate":
        if self.subject == FeedbackSubject.GENERAL and self.subject_id is not None:
            raise ValueError("general feedback has no subject_id")
        if self.comment == "":
            self.comment = None
        return self


class FeedbackPublic(ApiModel):
    id: int
    subject: FeedbackSubject
    subject_id: int | None
    score: int
    comment: str | None
    created_at: datetime
    offer_person: bool = Field(default=False, description="A low score (1–2): the bot offers to talk to a person.")


class SurveyRequest(ApiModel):
    """What the survey would be about; a decision made long ago is not surveyed."""

    subject: FeedbackSubject = FeedbackSubject.GENERAL
    subject_id: Annotated[int, Field(gt=0, lt=2**63)] | None = None

    @model_validator(mode="after")
    def _check(self) -> "SurveyRequest":
        if self.subject == FeedbackSubject.GENERAL and self.subject_id is not None:
            raise ValueError("a general survey has no subject_id")
        return self


class SurveyOffered(ApiModel):
    offered_at: datetime
    next_survey_after: datetime = Field(description="No survey is offered again before this moment.")
