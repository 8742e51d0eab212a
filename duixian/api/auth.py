"""Bearer-token authentication for machine clients of /api/v1."""

from ninja.security import HttpBearer

from duixian.api.models import MachineToken


class MachineTokenAuth(HttpBearer):
    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token):
        client = MachineToken.find(token, self.scope)
        if client is not None:
            request.machine_client = client
        return client
