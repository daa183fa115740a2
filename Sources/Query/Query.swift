// FlowQL: parse, plan, execute.
import Storage
