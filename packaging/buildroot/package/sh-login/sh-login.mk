################################################################################
#
# sh-login
#
################################################################################

# A br2-external tree inside sh_login's source (BR2_EXTERNAL=.../packaging/buildroot):
# the package builds from that source tree, two levels up.
SH_LOGIN_VERSION = 0.1.0
SH_LOGIN_SITE = $(BR2_EXTERNAL_SH_LOGIN_PATH)/../..
SH_LOGIN_SITE_METHOD = local
SH_LOGIN_LICENSE = unknown
# the libraries the Makefile links: -luuid (util-linux libuuid), -lbearssl
SH_LOGIN_DEPENDENCIES = util-linux bearssl

define SH_LOGIN_BUILD_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(TARGET_CONFIGURE_OPTS) build/sh_login-cgi
endef

# make install's own list; busybox is Buildroot's (see busybox-httpd.fragment),
# and the systemd user unit only with systemd.
define SH_LOGIN_INSTALL_TARGET_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(TARGET_CONFIGURE_OPTS) install \
		DESTDIR=$(TARGET_DIR) PREFIX=/usr INSTALL_BUSYBOX= \
		$(if $(BR2_INIT_SYSTEMD),,SYSTEMD_USER_UNITDIR=)
endef

$(eval $(generic-package))
