// StainKit
