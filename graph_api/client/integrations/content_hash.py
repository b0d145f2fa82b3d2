"""Content hashes of training data, so the same data is one dataset artifact.

The hash covers what the data is, not where it sits in memory: dtype, shape and bytes of
an array (made C-contiguous first), the column names, dtypes and values of a pandas frame,
the three arrays of a scipy sparse matrix. Anything else is hashed as `numpy.asarray(x)`.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np


def _feed(digest: Any, data: Any) -> None:
    if data is None:
        digest.update(b"none")
        return
    module = type(data).__module__
    if module.startswith("pandas"):
        import pandas as pd  # only when the caller passed a pandas object

        digest.update(b"pandas")
        if isinstance(data, pd.DataFrame):
            digest.update(repr([(str(c), str(t)) for c, t in data.dtypes.items()]).encode())
        else:
            digest.update(repr((str(data.name), str(data.dtype))).encode())
        digest.update(pd.util.hash_pandas_object(data, index=True).to_numpy().tobytes())
        return
    if module.startswith("scipy.sparse"):
        matrix = data.tocsr()
        digest.update(f"sparse{matrix.shape}".encode())
        for part in (matrix.data, matrix.indices, matrix.indptr):
            _feed(digest, part)
        return
    array = np.ascontiguousarray(np.asarray(data))
    if array.dtype == object:
        digest.update(f"object{array.shape}".encode())
        digest.update(repr(array.tolist()).encode())
        return
    digest.update(f"{array.dtype.str}{array.shape}".encode())
    digest.update(array.tobytes())


def content_hash(*parts: Any) -> str:
    """SHA-256 (hex) of the data in `parts`, e.g. `content_hash(X, y)`."""
    digest = hashlib.sha256()
    for part in parts:
        _feed(digest, part)
        digest.update(b"\x00")
    return digest.hexdigest()
