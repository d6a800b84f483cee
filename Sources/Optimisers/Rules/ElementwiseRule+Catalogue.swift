// The catalogue's elementwise rules, and the wrappers that stay elementwise
// around one. LAMB, LARS and Adafactor reduce over each leaf and are left out.

extension SGD: ElementwiseRule {}
extension Momentum: ElementwiseRule {}
extension Nesterov: ElementwiseRule {}
extension Adam: ElementwiseRule {}
extension AdamW: ElementwiseRule {}
extension AMSGrad: ElementwiseRule {}
extension NAdam: ElementwiseRule {}
extension RAdam: ElementwiseRule {}
extension AdaMax: ElementwiseRule {}
extension AdaBelief: ElementwiseRule {}
extension AdaGrad: ElementwiseRule {}
extension AdaDelta: ElementwiseRule {}
extension RMSProp: ElementwiseRule {}
extension Rprop: ElementwiseRule {}
extension Lion: ElementwiseRule {}
extension Signum: ElementwiseRule {}
extension Yogi: ElementwiseRule {}
extension OAdam: ElementwiseRule {}
extension Scheduled: ElementwiseRule where Base: ElementwiseRule {}
extension Accumulate: ElementwiseRule where Base: ElementwiseRule {}
extension Lookahead: ElementwiseRule where Base: ElementwiseRule {}
extension ExponentialMovingAverage: ElementwiseRule where Base: ElementwiseRule {}
