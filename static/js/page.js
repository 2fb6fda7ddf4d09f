// Loaded in <head> before the page is drawn (an inline script would break the Content-Security-Policy): styles
// written for "scripts run" (.js) apply from the first paint, without a flash of the no-JavaScript layout.
document.documentElement.classList.add("js");
