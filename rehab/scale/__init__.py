"""The distributed path: the same importer and engine on a Dask cluster, partitioned by patient."""
