// Starts Swagger UI on the server's own OpenAPI document. An external script (not inline) so that the page needs
// no 'unsafe-inline' script source. validatorUrl: null keeps Swagger UI from calling its online validator.
/* global SwaggerUIBundle */
window.addEventListener('load', () => {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
