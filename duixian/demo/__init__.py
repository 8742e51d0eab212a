"""Demo seeding (`duixian demo`, run by `make run`): the top of the house.

It calls every app's demo loader (organisations, users and their role grants, the shipped pack's
version, applications, a compute run), so it sits above all of them and nothing imports it
(contract `apps-layered`, docs/decisions/0002).
"""
