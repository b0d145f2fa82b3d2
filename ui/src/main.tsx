// First: it starts the opening view's requests before the rest of the app is evaluated.
import { queryClient } from "./prefetch";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClientProvider } from "@tanstack/react-query";
import { App } from "./App";
import { route } from "./router";
import "@xyflow/react/dist/style.css";
import "./styles.css";

// Start the layout worker while the first data loads; warm ELK up only where nothing waits on the server.
void import("./layout/workerClient").then((m) => {
  m.startWorker();
  const view = route(window.location.pathname).view;
  if (view !== "lineage" && view !== "impact" && view !== "contexts") m.prewarmWhenIdle();
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
