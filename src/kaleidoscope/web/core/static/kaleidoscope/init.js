// Start the GOV.UK Frontend components (buttons, error summaries, navigation).
import { initAll } from "./govuk-frontend.min.js";

initAll();
window.kaleidoscopeInit = function (scope) { initAll({ scope: scope }); };
