"""A batch run as stages (the driver is `pipeline.batch.run`):

- `plan`: what to process: the inputs, duplicate names, name clashes, and which documents are
  unchanged since the store has them (skipped) or must go to the executor;
- `document`: one file -> one record (ingest, extract, document checks); imports nothing of the
  run above it, so executors and workers import it alone;
- `corpus`: the corpus step: entities, corpus checks, the corpus files and the report;
- `summary`: what the run did (`RunSummary`), shared by the stages.
"""
