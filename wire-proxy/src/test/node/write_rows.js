// node-postgres running one write as an application does: with a bound value it goes in the extended protocol,
// without one in a simple query. Usage: node write_rows.js PORT SQL [VALUE]; prints "COMMAND ROWS", or
// "ERROR SQLSTATE: message" when the server (or Gatehouse) refused it.
const { Client } = require('pg');

async function main() {
  const [port, sql, value] = process.argv.slice(2);
  const client = new Client({ host: '127.0.0.1', port: Number(port), user: 'postgres', database: 'test',
    connectionTimeoutMillis: 10000 });
  await client.connect();
  try {
    const r = value === undefined ? await client.query(sql) : await client.query(sql, [value]);
    console.log(r.command + ' ' + r.rowCount);
  } catch (e) {
    console.log('ERROR ' + e.code + ': ' + e.message);
  } finally {
    await client.end();
  }
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
