"""Tests of the whole system and the test support every context shares.

The contexts' own ``tests`` packages stand in the same layers as their code (``.importlinter``): a
test of the core imports only the core. What needs several contexts at once lives here, outside the
layers: the cast of principals (``cast``), the demo server and browser (``browser``), the access
matrix over every endpoint, the API fuzzing, the command line, and page tests that need users of
the accounts context to sign in.
"""
