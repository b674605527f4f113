// Entry point: mounts the app into #app with the GOV.UK styles.
import "./styles/app.scss";
import { mount } from "svelte";
import App from "./App.svelte";

document.body.classList.add("js-enabled", "govuk-frontend-supported");

const target = document.getElementById("app");
if (!target) throw new Error("missing #app");
export default mount(App, { target });
