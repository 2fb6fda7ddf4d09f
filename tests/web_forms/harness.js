// A page that renders one of the app's XForms in ODK Web Forms (@getodk/web-forms, ODK's own client) and sends what
// it submits to the app's OpenRosa door, as Collect would: the test fills the form and waits on the data attributes
// set here. Rebuild the bundle with `make web-forms-harness` after changing this file.
import { createApp, h } from "vue";
import { OdkWebForm, webFormsPlugin } from "@getodk/web-forms";

const params = new URLSearchParams(location.search);
const form = params.get("form");
const headers = {
  Authorization: "Basic " + btoa(`${params.get("user")}:${params.get("password")}`),
  "X-OpenRosa-Version": "1.0",
};
const base = "/openrosa";
const status = document.body.dataset;

async function submit(payload, callback) {
  const data = Array.isArray(payload.data) ? payload.data[0] : payload.data;
  status.submitted = "sending";
  const response = await fetch(`${base}/submission`, { method: "POST", body: data, headers });
  status.submissionStatus = String(response.status);
  status.submissionMessage = await response.text();
  status.submitted = "done";
  if (callback) callback({ status: response.status < 300 ? "success" : "failure" });
}

async function start() {
  const response = await fetch(`${base}/forms/${form}/form.xml`, { headers });
  const formXml = await response.text();
  const fetchFormAttachment = (url) => {
    const name = String(url).split("/").pop();
    return fetch(`${base}/forms/${form}/media/${name}`, { headers });
  };
  const app = createApp({
    render: () => h(OdkWebForm, { formXml, fetchFormAttachment, missingResourceBehavior: "BLANK", onSubmit: submit }),
  });
  app.use(webFormsPlugin);
  app.mount("#app");
  status.loaded = "yes";
}

start().catch((error) => {
  status.error = String(error);
});
