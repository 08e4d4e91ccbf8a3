//! The MCP side: `initialize`, `tools/list` (from the catalog in memory, without starting any
//! connector) and `tools/call` (see `call.rs`).

use crate::Gateway;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig,
};
use rmcp::service::{NotificationContext, RequestContext, RoleServer};
use rmcp::{ErrorData, ServerHandler};

const INSTRUCTIONS: &str = "God Config's gateway: the tools of the connectors a person approved, \
named <connector>__<operation>. A tool marked destructive may wait for a person to allow it; a \
refusal says why and what to do.";

impl ServerHandler for Gateway {
    fn get_info(&self) -> ServerConfig {
        let caps = ServerCapabilities::builder()
            .enable_tools()
            .enable_tool_list_changed()
            .build();
        ServerConfig::new(caps)
            .with_server_info(Implementation::new(
                "godconfig-gateway",
                env!("CARGO_PKG_VERSION"),
            ))
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(
            self.catalog().tools.clone(),
        ))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let client = context
            .client_info()
            .map(|c| format!("{} {}", c.name, c.version));
        let result = self
            .call(&request.name, request.arguments, client, context.ct)
            .await;
        Ok(result.into())
    }

    async fn on_initialized(&self, context: NotificationContext<RoleServer>) {
        let _ = self.inner.peer.set(context.peer);
    }
}
