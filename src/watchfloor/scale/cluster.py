"""A Dask cluster as the ingest's workers (`watchfloor ingest --cluster ADDRESS`).

The address is a running `dask.distributed` scheduler (`tcp://host:8786`), or
`local` for a LocalCluster of worker processes on this machine. Every worker gets
a plugin (`ToolsPlugin`) that builds its extractor and gate once, when it joins;
batches then run with those tools (`workers.extract_batch`). Workers send their
`Outcome`s back and this process writes them, so the workers need the model and
the knowledge files, not the database.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from distributed import WorkerPlugin

from watchfloor.errors import ConfigError, ExtractError
from watchfloor.model import Document
from watchfloor.pipeline import PendingBatch
from watchfloor.scale.workers import ExtractorSpec, extract_batch, warm

LOCAL = "local"
PLUGIN_NAME = "watchfloor-tools"


class ToolsPlugin(WorkerPlugin):
    """A Dask worker plugin: build the worker's extractor and gate as it starts.

    >>> client.register_plugin(ToolsPlugin(ExtractorSpec()))  # doctest: +SKIP
    """

    name = PLUGIN_NAME

    def __init__(self, spec: ExtractorSpec) -> None:
        self.spec = spec

    async def setup(self, worker: Any) -> None:
        """Load the tools off the worker's event loop, so that it keeps answering meanwhile."""
        await asyncio.get_running_loop().run_in_executor(None, warm, self.spec)


class DaskPool:
    """Extraction on a Dask cluster: a scheduler's address, `local`, or a Client of yours.

    >>> with DaskPool(ExtractorSpec(), address="local", workers=2) as pool:  # doctest: +SKIP
    ...     summary = pipeline.run(paths, store=store, pool=pool)
    """

    def __init__(
        self,
        spec: ExtractorSpec,
        *,
        address: str = LOCAL,
        workers: int = 2,
        client: Any = None,
        timeout_s: float = 30,
    ) -> None:
        if workers < 1:
            raise ConfigError(f"a local cluster needs 1 worker or more, not {workers}")
        self.spec = spec
        self.address = address
        self._workers = workers
        self._timeout_s = timeout_s
        self._client: Any = client
        self._owned: list[Any] = []

    @property
    def client(self) -> Any:
        """The dask.distributed Client (None before the pool starts)."""
        return self._client

    @property
    def size(self) -> int:
        """The number of workers the scheduler knows now."""
        if self._client is None:
            return self._workers
        return max(len(self._client.scheduler_info().get("workers", {})), 1)

    def __enter__(self) -> DaskPool:
        if self._client is None:
            self._client = self._connect()
        try:
            self._register_plugin()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _connect(self) -> Any:
        from distributed import Client, LocalCluster

        if self.address == LOCAL:
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=self._workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self._owned.append(cluster)
            client = Client(cluster)  # type: ignore[no-untyped-call]
        else:
            try:
                client = Client(self.address, timeout=self._timeout_s)  # type: ignore[no-untyped-call]
            except (OSError, TimeoutError) as e:
                raise ConfigError(f"cannot reach the Dask scheduler at {self.address}: {e}") from e
        self._owned.insert(0, client)
        return client

    def _register_plugin(self) -> None:
        replies = self._client.register_plugin(ToolsPlugin(self.spec), name=PLUGIN_NAME)
        for worker, reply in (replies or {}).items():
            if isinstance(reply, dict) and reply.get("status") == "error":
                raise ExtractError(
                    f"Dask worker {worker} could not load the extractor: {reply.get('exception')}"
                )

    def __exit__(self, *exc: object) -> None:
        for owned in self._owned:  # the client first, then the cluster it talked to
            owned.close()
        self._owned.clear()

    def submit(self, documents: Sequence[Document]) -> PendingBatch:
        """Hand a batch to the scheduler, which gives it to a free worker."""
        if self._client is None:
            raise RuntimeError("the pool is not started: use it in a `with` block")
        future: PendingBatch = self._client.submit(
            extract_batch, self.spec, list(documents), pure=False
        )
        return future
