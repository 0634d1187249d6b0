'use strict';

const { baseUrl } = require('../lib/http');
const { toOrder } = require('../lib/order');

const perform = async (z, bundle) => {
  let order;
  try {
    order = toOrder(bundle.inputData);
  } catch (err) {
    throw new z.errors.Error(err.message, 'invalid_input', 400);
  }
  const pushed = await z.request({
    url: `${baseUrl(bundle)}/api/v1/inbox/orders`,
    method: 'POST',
    body: order,
  });
  const result = pushed.data;
  if (bundle.inputData.import_order === true || bundle.inputData.import_order === 'true') {
    const imported = await z.request({
      url: `${baseUrl(bundle)}/api/v1/inbox/${result.item.id}/import`,
      method: 'POST',
      body: { create_contact: true },
    });
    result.sale = imported.data;
  }
  return result;
};

const lineItemFields = [
  { key: 'line_name', label: 'Item name' },
  { key: 'line_kind', label: 'Item kind', helpText: 'print, album, wall art, digital, package, product or service (guessed from the name when empty)' },
  { key: 'line_quantity', label: 'Quantity', type: 'integer' },
  { key: 'line_unit_price', label: 'Unit price', helpText: 'e.g. 25.00' },
  { key: 'line_discount', label: 'Line discount' },
  { key: 'line_tax', label: 'Line tax' },
  { key: 'line_sku', label: 'SKU' },
];

module.exports = {
  key: 'send_order',
  noun: 'Order',
  display: {
    label: 'Send Order to Cyan Inbox',
    description:
      'Puts an order from an online gallery or shop (e.g. Pic-Time "New Order Placed") into Cyan\'s Inbox, ready for Import Order.',
  },
  operation: {
    inputFields: [
      { key: 'order_id', label: 'Order ID', required: true, helpText: 'Unique per shop: a second order with the same ID updates the first.' },
      { key: 'order_number', label: 'Order number' },
      { key: 'shop', label: 'Shop or gallery service', default: 'zapier', helpText: 'e.g. pictime: orders are unique per shop and ID.' },
      { key: 'placed_at', label: 'Order date and time', type: 'datetime' },
      { key: 'updated_at', label: 'Last updated', type: 'datetime', helpText: 'A later value updates the Inbox item (refunds, cancellations).' },
      { key: 'customer_name', label: 'Customer full name' },
      { key: 'customer_first_name', label: 'Customer first name' },
      { key: 'customer_last_name', label: 'Customer last name' },
      { key: 'customer_email', label: 'Customer email' },
      { key: 'customer_phone', label: 'Customer phone' },
      { key: 'currency', label: 'Currency', required: true, helpText: 'ISO 4217, e.g. GBP, USD, EUR.' },
      { key: 'line_items', label: 'Line items', children: lineItemFields },
      { key: 'subtotal', label: 'Subtotal', helpText: 'Used only when no line items are mapped.' },
      { key: 'discount', label: 'Order discount' },
      { key: 'discount_code', label: 'Discount code' },
      { key: 'shipping', label: 'Shipping' },
      { key: 'tax', label: 'Tax', helpText: 'Order tax, when the line items carry none.' },
      { key: 'prices_include_tax', label: 'Prices include tax', type: 'boolean', default: 'false' },
      { key: 'total', label: 'Grand total', helpText: 'Cyan checks it against the lines, shipping, tax and discount.' },
      { key: 'amount_paid', label: 'Amount paid', helpText: 'Default: the total when the payment status is paid.' },
      { key: 'status', label: 'Order status', helpText: 'placed, processing, shipped, completed or cancelled (other words are kept as written).' },
      { key: 'payment_status', label: 'Payment status', helpText: 'paid, unpaid, partially paid, refunded, partially refunded.' },
      { key: 'collected_by', label: 'Payment collected by', choices: { provider: 'The shop or gallery service', studio: 'The studio' }, default: 'provider' },
      { key: 'gallery_id', label: 'Gallery ID' },
      { key: 'gallery_name', label: 'Gallery name' },
      { key: 'gallery_url', label: 'Gallery URL' },
      { key: 'import_order', label: 'Import it at once', type: 'boolean', default: 'false', helpText: 'Import as a sale now (the matched contact, or a new one).' },
    ],
    perform,
    sample: {
      item: { id: 1, kind: 'order', state: 'new', source: 'zapier', external_id: 'PT-1001', order_number: 'PT-1001', customer_name: 'Ada Lovelace', currency: 'GBP', total_minor: 4500, total: '45.00' },
      created: true,
      duplicate: false,
    },
  },
};
