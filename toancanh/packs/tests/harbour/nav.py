from toancanh.packs.api import NavEntry
from toancanh.packs.tests.harbour.permissions import HARBOUR_VIEW

NAV = [NavEntry("harbour", "Cảng cá", "/harbour/", permission=HARBOUR_VIEW, sector="harbour")]
