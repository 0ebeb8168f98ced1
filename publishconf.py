"""Production settings: `make site` and `make publish`."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
# The production site is always built from scratch.
DELETE_OUTPUT_DIRECTORY = True

# The audience's hosted signup form (README, "Newsletter"), from the environment
# like SITEURL. A production build refuses to run without it, unless the site
# offers no signup at all: NEWSLETTER_SIGNUP = False.
NEWSLETTER_SIGNUP_URL = os.environ.get("NEWSLETTER_SIGNUP_URL", "")

# The sender of real emails: set them here or in the environment (README, "Newsletter").
NEWSLETTER_REPLY_TO = ""
NEWSLETTER_POSTAL_ADDRESS = ""
