include $(sort $(wildcard $(BR2_EXTERNAL_SH_LOGIN_PATH)/package/*/*.mk))
