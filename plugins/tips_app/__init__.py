"""The application: the build pipeline, previews and scaffolding behind the
commands in scripts/. It imports the core and both plugins; nothing imports it
but scripts/ and the tests."""
