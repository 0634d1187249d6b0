'use strict';

// What a Zap's fields look like when mapped from Pic-Time's "New Order Placed" trigger
// (docs/zapier.md shows the mapping, field by field).
const PICTIME_ZAP = {
  order_id: 'PT-77001',
  order_number: '77001',
  shop: 'pictime',
  placed_at: '2026-06-20T11:15:00+01:00',
  customer_name: 'Mary Ann van der Berg',
  customer_first_name: 'Mary Ann',
  customer_last_name: 'van der Berg',
  customer_email: 'maryann@example.com',
  customer_phone: '+44 7700 900123',
  currency: 'GBP',
  line_items: [
    { line_name: '8x10 Print', line_kind: 'Print', line_quantity: '2', line_unit_price: '25.00' },
    { line_name: 'Wedding Album', line_kind: 'Album', line_quantity: '1', line_unit_price: '120.00' },
  ],
  discount: '10.00',
  discount_code: 'SPRING10',
  shipping: '8.50',
  total: '168.50',
  status: 'New',
  payment_status: 'Paid',
  gallery_id: 'g-4411',
  gallery_name: 'Van der Berg Wedding',
  gallery_url: 'https://rosa.pic-time.com/vanderberg',
};

module.exports = { PICTIME_ZAP };
