// Runs first thing in <body>, before the page paints: GOV.UK Frontend's classes that say
// JavaScript is on (kept out of the page itself so the CSP forbids every inline script).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
