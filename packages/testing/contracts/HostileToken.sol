// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";

/// @title HostileToken
/// @notice A test ERC-20 with the extra entry points the hostile review used to move tokens past policy limits:
/// ERC-677 `transferAndCall`, `multicall` on the token itself, and `sweep`, a function no policy engine can know.
/// Test code only.
contract HostileToken is ERC20, Multicall {
    constructor() ERC20("Hostile", "HST") {}

    /// @notice Mints `amount` to `to` (anyone may: this is a test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice ERC-677: moves `amount` to `to` (the callback is left out; the transfer is what matters here).
    function transferAndCall(address to, uint256 amount, bytes calldata) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    /// @notice Moves the caller's whole balance to `to`: an unknown function that moves value.
    function sweep(address to) external {
        _transfer(msg.sender, to, balanceOf(msg.sender));
    }
}
