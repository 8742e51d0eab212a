"""National code standards as plain Python: Anhui's GB/T 2260 division table (`divisions`) and the
GB 32100 unified social credit code check (`uscc`).

Below every app: the rules engine, the platform (`core`) and the business apps all read them, and
they import nothing of Duixian and no Django (contract `engine-pure`, docs/decisions/0002).
"""
