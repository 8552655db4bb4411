// node-postgres as an application uses it: an explicit transaction around a SELECT with a bound value
// (extended protocol). Usage: node select_commit.js PORT TABLE; prints the note of row 1.
const { Client } = require('pg');

async function main() {
  const [port, table] = process.argv.slice(2);
  const client = new Client({ host: '127.0.0.1', port: Number(port), user: 'postgres', database: 'test',
    connectionTimeoutMillis: 10000 });
  await client.connect();
  try {
    await client.query('BEGIN');
    const r = await client.query('SELECT note FROM ' + table + ' WHERE id = $1', [1]);
    await client.query('COMMIT');
    console.log(r.rows[0].note);
  } finally {
    await client.end();
  }
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
