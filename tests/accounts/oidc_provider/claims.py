"""The claims the test provider asserts about each person: read from the JSON file of people."""

import json
import os

from oauth2_provider.oauth2_validators import OAuth2Validator


def people() -> dict:
    with open(os.environ["IDP_PEOPLE"], encoding="utf-8") as handle:
        return json.load(handle)


class ProvinceValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim of the person goes into the ID token

    def get_additional_claims(self, request):
        return dict(people()[request.user.username]["claims"])
