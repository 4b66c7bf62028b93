"""What the restitution stories share."""

import pytest

from tests.reporting_factories import isolate_publishing


@pytest.fixture
def isolated_publishing(settings, tmp_path):
    """Published files go to a temporary folder and publishing renders at once; a module
    asks for it with `pytestmark = pytest.mark.usefixtures("isolated_publishing")`."""
    isolate_publishing(settings, tmp_path)
