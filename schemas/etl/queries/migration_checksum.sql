-- md5 of a migration's text, computed by the server as when it was recorded.
SELECT md5($1)
