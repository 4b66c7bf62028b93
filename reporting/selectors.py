"""Reads for the restitution pages: restitutions, their published versions and files. What a
restitution *says* is read by `reporting.content`."""

from collections.abc import Iterable

from django.db.models import Prefetch

from exchanges.selectors import exchange_years
from partners.models import Partnership

from .models import Restitution, RestitutionFile, RestitutionVersion

# --- Restitutions, versions and files --------------------------------------------------------


def restitution_of_year(partnership: Partnership, year: int) -> Restitution:
    """Raises Restitution.DoesNotExist."""
    restitution = Restitution.objects.get(partnership=partnership, year=year)
    restitution.partnership = partnership
    return restitution


def restitutions_of(partnership: Partnership) -> list[Restitution]:
    """The partnership's restitutions, newest year first, each with its versions (newest
    first) in `versions.all()`. Two queries."""
    versions = RestitutionVersion.objects.order_by("-number")
    return list(
        partnership.restitutions.order_by("-year").prefetch_related(
            Prefetch("versions", queryset=versions)
        )
    )


def years_without_restitution(
    partnership: Partnership, restitutions: list[Restitution]
) -> list[int]:
    """The years with exchanges that have no restitution yet, newest first."""
    taken = {restitution.year for restitution in restitutions}
    return [year for year in reversed(exchange_years(partnership)) if year not in taken]


def published_version(restitution: Restitution) -> RestitutionVersion | None:
    """The latest version whose files are all rendered: what elected officials read."""
    return (
        restitution.versions.filter(status=RestitutionVersion.Status.DONE)
        .order_by("-number")
        .first()
    )


def latest_version(versions: Iterable[RestitutionVersion]) -> RestitutionVersion | None:
    return max(versions, key=lambda version: version.number, default=None)


def latest_done_version(versions: Iterable[RestitutionVersion]) -> RestitutionVersion | None:
    done = [v for v in versions if v.status == RestitutionVersion.Status.DONE]
    return latest_version(done)


def versions_with_files(restitution: Restitution) -> list[RestitutionVersion]:
    files = RestitutionFile.objects.order_by("edition", "format")
    return list(
        restitution.versions.order_by("-number")
        .select_related("published_by")
        .prefetch_related(Prefetch("files", queryset=files))
    )


def done_version(restitution: Restitution, *, number: int) -> RestitutionVersion | None:
    """Version `number` of the restitution if its files are all rendered."""
    return restitution.versions.filter(number=number, status=RestitutionVersion.Status.DONE).first()


def version_file(
    restitution: Restitution, *, number: int | None, edition: str, format: str
) -> RestitutionFile | None:
    """A stored file of a done version (the latest done one when `number` is None)."""
    files = RestitutionFile.objects.filter(
        version__restitution=restitution,
        version__status=RestitutionVersion.Status.DONE,
        edition=edition,
        format=format,
    ).select_related("version")
    if number is not None:
        files = files.filter(version__number=number)
    return files.order_by("-version__number").first()


def latest_published_restitution(partnership: Partnership) -> Restitution | None:
    """For the home page: the newest year that has a published version."""
    return (
        partnership.restitutions.filter(versions__status=RestitutionVersion.Status.DONE)
        .order_by("-year")
        .first()
    )
