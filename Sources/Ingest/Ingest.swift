// Decoding and collection of flow exports; see the Ingest issue.
import Storage
