"""The backend's OpenAPI document, built once a test process (about a second) for every module that generates its
cases from it when collected."""

from api.app import create_app

#: Read it, never change it: the modules share one copy.
DOCUMENT = create_app().openapi()
