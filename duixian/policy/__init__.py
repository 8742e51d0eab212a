"""Policy as code: a notice as a data file (pack), its rules engine and the policy calculator.

The modules pack, packfile, facts, expr, engine and packtest import no Django, so the engine
runs and is tested alone; apps, api, views and management commands are the Django side.
"""
