"""Scale: gate and extract on many processes (`workers`) or a Dask cluster (`cluster`).

The pools plug into `watchfloor.pipeline.run(..., pool=...)`. This process reads
the files, skips what the database already holds, and hands batches of documents
to the workers; each worker loads the spaCy pipeline, the knowledge base and the
relevance gate once, and sends back an `Outcome` per document. This process is the
one writer: it stores the outcomes in the order the files were read, one
transaction per document, as the single-process ingest does.

Why one writer rather than workers writing to PostgreSQL themselves: the same
code and the same transactions serve SQLite and PostgreSQL; workers need the
model and the knowledge files but no database credentials; an interrupted ingest
leaves a prefix of the batches stored, which the next run skips by content hash;
and one writer goes far: reading and storing a document cost this process one to
two milliseconds, extracting one costs a worker some tens of milliseconds. So one
writer keeps dozens of workers busy on the documents the gate lets through, and
where the gate sets nearly all aside it still stores several hundred documents a
second, far more than a news stream of hundreds of thousands a day asks.
"""
