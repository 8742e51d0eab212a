"""Reads for the compute subsidy that need the database."""

from __future__ import annotations

from .engine import OrgInfo


def subsidy_orgs_from_database() -> dict[str, OrgInfo]:
    """Every organisation with a USCC, as the engine needs it (one query).

    ``in_anhui`` on the organisation (derived from the code, or confirmed by the city for a
    centrally registered code) is used as the Anhui registration when it is set.
    """
    from duixian.orgs.models import Organisation  # the lead's model; imported lazily

    rows = (
        Organisation.objects.exclude(uscc__isnull=True).exclude(uscc="")
        .values_list("uscc", "name", "kind", "independent_legal_person", "agi_enterprise",
                     "group_id", "in_anhui")
    )
    return {
        uscc.upper(): OrgInfo(
            uscc=uscc.upper(), name=name, kind=kind,
            independent_legal_person=independent, agi_enterprise=agi,
            group_id=group_id or "", registered_in_anhui=in_anhui,
        )
        for uscc, name, kind, independent, agi, group_id, in_anhui in rows
    }


def subsidy_run_current():
    """The latest run that succeeded (a failed or running one never replaces it), or None."""
    from .models import SubsidyRun

    return SubsidyRun.objects.succeeded().order_by("-created_at", "-id").first()


def metering_imports():
    """Imports with who made them, newest first, for the import list."""
    from .models import MeteringImport

    return MeteringImport.objects.select_related("created_by", "machine_client")
