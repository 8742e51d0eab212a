from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "duixian.orgs"
    label = "orgs"

    def ready(self):
        from duixian.accounts import organisations
        from duixian.orgs.models import OrgRole, OrgStatus
        from duixian.orgs.permissions import member_role
        from duixian.orgs.selectors import organisation_by_uscc

        organisations.register(organisations.Organisations(  # what accounts asks of organisations
            by_uscc=organisation_by_uscc,
            is_confirmed=lambda org: org.status == OrgStatus.CONFIRMED,
            is_member=lambda user: member_role(user) is not None,
            is_manager=lambda user: member_role(user) == OrgRole.MANAGER,
        ))
