'use strict';

// The app run by Zapier's own tester (createAppTester) against a live Cyan: started by
// tests/test_zapier_app.py, which passes CYAN_URL and CYAN_API_KEY. No mocked HTTP.

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('http');
const zapier = require('zapier-platform-core');
const App = require('../index');
const { PICTIME_ZAP } = require('./pictime');

const appTester = zapier.createAppTester(App);
const CYAN_URL = process.env.CYAN_URL;
const CYAN_API_KEY = process.env.CYAN_API_KEY;
const skip = CYAN_URL && CYAN_API_KEY ? false : 'needs a live Cyan: run through tests/test_zapier_app.py';
const authData = { base_url: CYAN_URL, api_key: CYAN_API_KEY };

// A hook target: a real local server that records what Cyan posts to it.
const startReceiver = () =>
  new Promise((resolve) => {
    const received = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200);
        res.end('ok');
      });
    });
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, received, url: `http://127.0.0.1:${server.address().port}/zap-hook` });
    });
  });

// Zapier hands a hook's request to perform as cleanedRequest (parsed) and rawRequest.
const asZapierDelivery = (delivery) => ({
  cleanedRequest: JSON.parse(delivery.body),
  rawRequest: {
    headers: Object.fromEntries(Object.entries(delivery.headers).map(([k, v]) => [`Http-${k}`, v])),
    content: delivery.body,
  },
});

test('authentication: the key is tested with /api/v1/me and labelled with the studio', { skip }, async () => {
  const me = await appTester(App.authentication.test, { authData });
  assert.equal(me.name, process.env.CYAN_STUDIO_NAME);
  const label = await appTester(App.authentication.connectionLabel, { authData, inputData: me });
  assert.equal(label, process.env.CYAN_STUDIO_NAME);
  await assert.rejects(
    appTester(App.authentication.test, { authData: { ...authData, api_key: 'cyan_wrong_key' } }),
    /API key/,
  );
});

test('a Pic-Time order sent through the Zap is imported, and New Sale receives sale.created', { skip }, async () => {
  const receiver = await startReceiver();
  try {
    const subscribeData = await appTester(App.triggers.new_sale.operation.performSubscribe, {
      authData,
      targetUrl: receiver.url,
    });
    assert.match(subscribeData.secret, /^whsec_/);

    const pushed = await appTester(App.creates.send_order.operation.perform, {
      authData,
      inputData: PICTIME_ZAP,
    });
    assert.equal(pushed.created, true);
    assert.equal(pushed.item.total_minor, 16850);
    assert.equal(pushed.item.customer_name, 'Mary Ann van der Berg');

    const again = await appTester(App.creates.send_order.operation.perform, {
      authData,
      inputData: { ...PICTIME_ZAP, import_order: true },
    });
    assert.equal(again.created, false); // the same order: the same Inbox item
    assert.equal(again.sale.total_minor, 16850);
    assert.equal(again.sale.lines.length, 2);

    // Cyan delivered sale.created to the subscription as the import committed.
    const deliveries = receiver.received.filter((d) => JSON.parse(d.body).type === 'sale.created');
    assert.equal(deliveries.length, 1);
    const bundle = { authData, subscribeData, ...asZapierDelivery(deliveries[0]) };
    const [sale] = await appTester(App.triggers.new_sale.operation.perform, bundle);
    assert.equal(sale.id, again.sale.id);

    // A body that was not signed with the subscription's secret is refused.
    const forged = { ...bundle, rawRequest: { ...bundle.rawRequest, content: `${bundle.rawRequest.content} ` } };
    await assert.rejects(appTester(App.triggers.new_sale.operation.perform, forged), /not signed/);

    const listed = await appTester(App.triggers.new_sale.operation.performList, { authData });
    assert.equal(listed[0].id, again.sale.id);
    assert.deepEqual(Object.keys(listed[0]).sort(), Object.keys(sale).sort());

    const orders = await appTester(App.triggers.new_inbox_order.operation.performList, { authData });
    assert.equal(orders[0].id, pushed.item.id);

    await appTester(App.triggers.new_sale.operation.performUnsubscribe, { authData, subscribeData });
  } finally {
    receiver.server.close();
  }
});

test('an order whose total does not add up is refused with the reason', { skip }, async () => {
  await assert.rejects(
    appTester(App.creates.send_order.operation.perform, {
      authData,
      inputData: { ...PICTIME_ZAP, order_id: 'PT-77002', total: '999.00' },
    }),
    /total_minor is 99900/,
  );
});

test('Create Contact and New Contact', { skip }, async () => {
  const contact = await appTester(App.creates.create_contact.operation.perform, {
    authData,
    inputData: { first_name: 'Grace', last_name: 'Hopper', email: 'grace@example.com', phone: '+44 20 7946 0000', tags: ['zapier'] },
  });
  assert.equal(contact.display_name, 'Grace Hopper');
  assert.deepEqual(contact.tags, ['zapier']);
  const listed = await appTester(App.triggers.new_contact.operation.performList, { authData });
  assert.ok(listed.some((c) => c.id === contact.id));
});

test('Create Enquiry puts one enquiry in the Inbox', { skip }, async () => {
  const inputData = { first_name: 'Ada', email: 'ada@example.com', message: 'A June wedding?', shoot_type: 'Wedding', event_date: '2027-06-14', external_id: 'zap-enq-1' };
  const first = await appTester(App.creates.create_enquiry.operation.perform, { authData, inputData });
  assert.equal(first.created, true);
  assert.equal(first.item.kind, 'enquiry');
  const again = await appTester(App.creates.create_enquiry.operation.perform, { authData, inputData });
  assert.equal(again.created, false);
  assert.equal(again.item.id, first.item.id);
});

test('Order Refunded lists real refunded sales', { skip }, async () => {
  const refunded = await appTester(App.triggers.order_refunded.operation.performList, { authData });
  assert.deepEqual(refunded.map((s) => s.id), [Number(process.env.CYAN_REFUNDED_SALE_ID)]);
  assert.ok(refunded[0].refunded_minor > 0);
});
