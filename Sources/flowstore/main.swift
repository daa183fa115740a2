import Storage

print(FlowSchema.flows.columns.count)
