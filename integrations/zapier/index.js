'use strict';

const { version: platformVersion } = require('zapier-platform-core');
const { version } = require('./package.json');
const authentication = require('./authentication');
const { addApiKey, explainErrors } = require('./lib/http');
const { triggers } = require('./lib/hooks');
const sendOrder = require('./creates/send_order');
const createContact = require('./creates/create_contact');
const createEnquiry = require('./creates/create_enquiry');

module.exports = {
  version,
  platformVersion,
  authentication,
  beforeRequest: [addApiKey],
  afterResponse: [explainErrors],
  triggers: Object.fromEntries(triggers.map((trigger) => [trigger.key, trigger])),
  creates: {
    [sendOrder.key]: sendOrder,
    [createContact.key]: createContact,
    [createEnquiry.key]: createEnquiry,
  },
};
