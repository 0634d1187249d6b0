'use strict';

// The Zap-field mapping, money and signature checks: no Cyan needed.

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('crypto');
const schemaTools = require('zapier-platform-core/src/tools/schema');
const App = require('../index');
const { toOrder, kindOf } = require('../lib/order');
const { toMinor } = require('../lib/money');
const { verifySignature } = require('../lib/hooks');
const { PICTIME_ZAP } = require('./pictime');

test('the app definition is valid for the Zapier platform', () => {
  // As `zapier validate` does: the compiled app (functions as references) against the schema.
  assert.deepEqual(schemaTools.validateApp(schemaTools.compileApp(App)), []);
});

test('decimal amounts become exact minor units per currency', () => {
  assert.equal(toMinor('12.50', 'GBP', 'x'), 1250);
  assert.equal(toMinor('£1,234.5', 'GBP', 'x'), 123450);
  assert.equal(toMinor(19.99, 'USD', 'x'), 1999);
  assert.equal(toMinor('1500', 'JPY', 'x'), 1500);
  assert.equal(toMinor('1.234', 'BHD', 'x'), 1234);
  assert.throws(() => toMinor('12.345', 'GBP', 'total'), /total: "12.345" has more decimals than GBP/);
  assert.throws(() => toMinor('abc', 'GBP', 'total'), /not an amount/);
  assert.throws(() => toMinor('-5', 'GBP', 'shipping'), /negative/);
});

test('a Pic-Time "New Order Placed" step maps to a normalized order that adds up', () => {
  const order = toOrder(PICTIME_ZAP);
  assert.equal(order.provider, 'zapier');
  assert.equal(order.account_id, 'pictime');
  assert.equal(order.order_id, 'PT-77001');
  assert.deepEqual(order.customer, { first_name: 'Mary Ann', last_name: 'van der Berg', email: 'maryann@example.com', phone: '+44 7700 900123' });
  assert.equal(order.lines.length, 2);
  assert.deepEqual(order.lines.map((l) => [l.kind, l.quantity, l.unit_price_minor, l.total_minor]), [
    ['print', 2, 2500, 5000],
    ['album', 1, 12000, 12000],
  ]);
  assert.equal(order.subtotal_minor, 17000);
  assert.equal(order.total_minor, 17000 - 1000 + 850);
  assert.equal(order.amount_paid_minor, order.total_minor);
  assert.equal(order.discounts[0].code, 'SPRING10');
  assert.equal(order.gallery.name, 'Van der Berg Wedding');
  assert.equal(order.placed_at, '2026-06-20T10:15:00.000Z');
});

test('without line items the goods are one line, and an order tax sits on it', () => {
  const order = toOrder({ order_id: 'X1', currency: 'USD', total: '110.00', tax: '10.00', customer_email: 'a@example.com' });
  assert.equal(order.lines.length, 1);
  assert.equal(order.lines[0].unit_price_minor, 10000);
  assert.equal(order.lines[0].tax_minor, 1000);
  assert.equal(order.total_minor, 11000);
});

test('words a shop uses for kinds and statuses', () => {
  assert.equal(kindOf('Canvas 30x40'), 'wall_art');
  assert.equal(kindOf('Digital download'), 'digital');
  assert.equal(toOrder({ ...PICTIME_ZAP, status: 'Canceled' }).status, 'cancelled');
  const odd = toOrder({ ...PICTIME_ZAP, status: 'On hold' });
  assert.equal(odd.status, 'placed');
  assert.equal(odd.status_raw, 'On hold');
});

test('Standard Webhooks signatures: the right secret verifies, another does not', () => {
  const secret = `whsec_${crypto.randomBytes(24).toString('base64')}`;
  const body = '{"type":"sale.created"}';
  const id = 'msg_1';
  const timestamp = '1760000000';
  const key = Buffer.from(secret.slice(6), 'base64');
  const signature = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  const headers = { 'Http-Webhook-Id': id, 'Http-Webhook-Timestamp': timestamp, 'Http-Webhook-Signature': `v1,bogus v1,${signature}` };
  assert.equal(verifySignature({ secret, headers, body }), true);
  assert.equal(verifySignature({ secret, headers, body: `${body} ` }), false);
  const other = `whsec_${crypto.randomBytes(24).toString('base64')}`;
  assert.equal(verifySignature({ secret: other, headers, body }), false);
});
