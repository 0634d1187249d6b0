'use strict';

// Where the studio's Cyan is ("https://cyan.example.com"), without a trailing slash.
const baseUrl = (bundle) => String(bundle.authData.base_url || '').replace(/\/+$/, '');

// Every request carries the studio's API key.
const addApiKey = (request, z, bundle) => {
  if (bundle.authData && bundle.authData.api_key) {
    request.headers = request.headers || {};
    request.headers.Authorization = `Bearer ${bundle.authData.api_key}`;
  }
  return request;
};

// Cyan's errors are JSON: {"error": {"code", "message", "fields"}}. Show the studio the
// message and each field's problem instead of a bare status code.
const explainErrors = (response, z) => {
  if (response.status < 400 || response.skipThrowForStatus) {
    return response;
  }
  let detail = '';
  try {
    const { error } = JSON.parse(response.content);
    const fields = Object.entries(error.fields || {})
      .map(([name, message]) => `${name}: ${message}`)
      .join('; ');
    detail = fields ? `${error.message} (${fields})` : error.message;
    if (response.status === 401) {
      throw new z.errors.ExpiredAuthError(`Cyan refused the API key: ${detail}`);
    }
    throw new z.errors.Error(detail, error.code, response.status);
  } catch (err) {
    if (err instanceof z.errors.Error || err instanceof z.errors.ExpiredAuthError) {
      throw err;
    }
    throw new z.errors.Error(
      `Cyan answered HTTP ${response.status}: ${String(response.content).slice(0, 200)}`,
      'http_error',
      response.status,
    );
  }
};

module.exports = { baseUrl, addApiKey, explainErrors };
