"""psycopg2 as an application uses it: autocommit off (its default), so the SELECT opens a transaction that
commit() ends. Usage: select_commit.py PORT TABLE; prints the note of row 1."""
import sys

import psycopg2

port, table = int(sys.argv[1]), sys.argv[2]
conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="test", sslmode="disable",
                        connect_timeout=10)
assert not conn.autocommit
cur = conn.cursor()
cur.execute("SELECT note FROM " + table + " WHERE id = %s", (1,))
print(cur.fetchone()[0])
conn.commit()
conn.close()
