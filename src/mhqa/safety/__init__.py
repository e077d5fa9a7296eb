"""mhqa's safety layer: the check every front door runs before anything else.

- :func:`assess` flags crisis messages (normalisation -> patterns -> embedding classifier, with
  conversation history), explaining why in ``evidence``.
- :func:`resources_for` / :func:`locale_from_accept_language` give help lines per country.
- :func:`crisis_reply` is the fixed (never generated) reply for a crisis; :data:`AI_DISCLOSURE`,
  :func:`add_disclosure` and :func:`guard_output` keep normal answers within policy.

This package imports nothing from mhqa.models, mhqa.backends, mhqa.train or mhqa.server: the
crisis path must work when the model is missing, slow or broken.
"""

from mhqa.safety.assess import CATEGORIES, LEVELS, Assessment, assess
from mhqa.safety.policy import AI_DISCLOSURE, SAFE_FALLBACK, GuardResult, add_disclosure, crisis_reply, guard_output
from mhqa.safety.resources import LocaleResources, Resource, locale_from_accept_language, resources_for

__all__ = [
    "AI_DISCLOSURE", "CATEGORIES", "LEVELS", "SAFE_FALLBACK", "Assessment", "GuardResult", "LocaleResources",
    "Resource", "add_disclosure", "assess", "crisis_reply", "guard_output", "locale_from_accept_language",
    "resources_for",
]
