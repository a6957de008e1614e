"""Documents in the chat, with no Qt: files read into text (extract), fitted into a prompt (retrieval)."""
