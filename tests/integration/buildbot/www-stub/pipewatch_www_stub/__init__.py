# A stand-in for the `buildbot-www` package (the web UI), which Debian does not ship: the master
# refuses to start its web server without a "base" www plugin, and Pipewatch needs only the REST
# API, /auth and JSON-RPC, which live in the master itself. Used by tests/integration/buildbot.test.ts.
from buildbot.www.plugin import Application

ep = Application(__name__, "Pipewatch test stand-in for buildbot-www (no web UI)", ui=False)
