"""Development settings: `make serve` and `make build` use these."""

SITENAME = "Kundeservicetips"
TIPS_SITENAMES = {
    "nb": "Kundeservicetips",
    "sv": "Kundservicetips",
    "fi": "Asiakaspalveluvinkit",
    "et": "Klienditeeninduse nõuanded",
    "en": "Customer service tips",
}
SITEURL = "http://127.0.0.1:8000"
AUTHOR = "Kundeservicetips"

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "Europe/Oslo"

# Languages: nb at the site root, the others under /sv/, /fi/, /et/, /en/.
# One Pelican site holds all of them as translations linked by slug, so every
# file is read and converted once (see README, "Design").
DEFAULT_LANG = "nb"
TIPS_LANGUAGES = ("nb", "sv", "fi", "et", "en")
ARTICLE_TRANSLATION_ID = "slug"
PAGE_TRANSLATION_ID = "slug"

# Where tips and pages live: <prefix>/<ISO year>/w<ww>/<slug>/.
ARTICLE_PATHS = ["tips"]
ARTICLE_EXCLUDES = ["pages"]
PAGE_PATHS = ["pages"]
ARTICLE_URL = "{date:%G}/w{date:%V}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
ARTICLE_LANG_URL = "{lang}/{date:%G}/w{date:%V}/{slug}/"
ARTICLE_LANG_SAVE_AS = ARTICLE_LANG_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = PAGE_LANG_URL + "index.html"

# Drafts and tips dated in the future stay off the site entirely. "Future" is
# decided by the weekly_tips plugin against the build's clock (TIPS_NOW), so
# Pelican's own check, against the wall clock, is off.
WITH_FUTURE_DATES = True
DRAFT_URL = DRAFT_SAVE_AS = DRAFT_LANG_URL = DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_URL = DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_URL = DRAFT_PAGE_LANG_SAVE_AS = ""

# Pelican's own index, archive, tag, category and author pages and feeds mix
# languages; the weekly_tips plugin writes per-language ones instead.
DIRECT_TEMPLATES = []
TAG_SAVE_AS = CATEGORY_SAVE_AS = AUTHOR_SAVE_AS = ""
TAG_URL = CATEGORY_URL = AUTHOR_URL = ""
USE_FOLDER_AS_CATEGORY = False
FEED_ALL_ATOM = FEED_ALL_RSS = FEED_ATOM = FEED_RSS = None
CATEGORY_FEED_ATOM = CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = TRANSLATION_FEED_RSS = None
FILENAME_METADATA = ""

# Dates are formatted by Babel per language; never through OS locales.
LOCALE = ("C.UTF-8", "C")
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
FORMATTED_FIELDS = []

JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

# Parsed and converted content is kept across builds in cache/ by the
# weekly_tips content store (Pelican's own reader cache would only repeat it).
CACHE_PATH = "cache"
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

STATIC_PATHS = ["images"]
# Hidden files (editor backups, half-written temporary files) are never read:
# Pelican's default, "**/.*", misses those at the top of a folder.
IGNORE_FILES = [".*"]
# Rebuilds render only the pages whose inputs changed, and delete the pages of
# removed or renamed tips (weekly_tips/render_cache.py): output/ is kept.
DELETE_OUTPUT_DIRECTORY = False
RELATIVE_URLS = False

# Readers' aids: a pagefind search index after every build, and list pages
# (archive, topics, authors) of TIPS_PAGE_SIZE entries.
TIPS_SEARCH = True
TIPS_PAGE_SIZE = 20

# Pelican imports every installed pelican.plugins.* package unless told which.
PLUGINS = ["pelican.plugins.weekly_tips", "pelican.plugins.tip_newsletter"]

# Authoring (make new, make check, make preview): see docs/authoring.md.
# A new tip is dated on this weekday and time of its week (TIMEZONE).
TIPS_PUBLISH_WEEKDAY = "friday"
TIPS_PUBLISH_TIME = "09:00"
# make check warns when a summary (the email's preheader) is longer than this.
TIPS_SUMMARY_MAX_LENGTH = 140

# The "Tip of the week" newsletter (README, "Newsletter"). `make build` and
# `make serve` always write to the outbox; only `make publish` reads
# NEWSLETTER_BACKEND, and there the environment may override each setting.
NEWSLETTER_BACKEND = "outbox"
NEWSLETTER_OUTBOX = "outbox"
NEWSLETTER_MAX_AGE_DAYS = 7
# NEWSLETTER_FROM_NAME is left unset: each language's emails come from its TIPS_SITENAMES name.
NEWSLETTER_REPLY_TO = "tips@example.org"  # a placeholder for development emails
NEWSLETTER_POSTAL_ADDRESS = "Kundeservicetips, Eksempelveien 1, 0150 Oslo"  # placeholder
NEWSLETTER_SEGMENTS = "merge:LANGUAGE"  # the hidden field the subscribe form fills in
NEWSLETTER_SIGNUP_URL = ""
