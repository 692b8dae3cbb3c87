"""The answer of the general terms route."""

from pydantic import Field

from api.schemas import ApiModel


class GeneralTerms(ApiModel):
    max_text: int = Field(description="The longest free text kept: a case's summary, a rating's comment.")
    max_file_bytes: int = Field(description="The largest file the backend accepts.")
